/**
 * Email settings from the environment. This is the only module that reads `SMTP_URL`,
 * `MAIL_FROM` and `MAILBOX_DIR`. Callers pass the environment in, so the SvelteKit function and
 * the Netlify functions read it the same way.
 *
 * - `SMTP_URL` set: messages go out over SMTP, for example `smtps://user:pass@smtp.example.com`.
 *   `MAIL_FROM` is then required, because a mail server rejects a made-up sender domain.
 * - `SMTP_URL` unset: messages are written as `.eml` files into the local mailbox folder,
 *   `MAILBOX_DIR` or `.data/mailbox` under the working directory.
 */
import { resolve } from 'node:path';

export type MailTransportSettings =
	{ kind: 'smtp'; url: string } | { kind: 'mailbox'; dir: string };

export interface MailSettings {
	transport: MailTransportSettings;
	/** The `From` header, for example `Splitshop <orders@shop.example>`. */
	from: string;
	/** Domain part of the sender address, used for Message-IDs. */
	domain: string;
	/** Shop name shown in subjects and greetings. */
	shop_name: string;
}

type Env = Record<string, string | undefined>;

export const DEFAULT_MAILBOX_DIR = '.data/mailbox';
/** Sender of local mailbox messages. The `.test` domain is reserved and never resolves (RFC 2606). */
export const DEFAULT_MAIL_FROM = 'Splitshop <orders@splitshop.test>';
export const SHOP_NAME = 'Splitshop';

/** Reads the email settings and rejects invalid values with a message naming the variable. */
export function read_mail_settings(env: Env, cwd: string = process.cwd()): MailSettings {
	const smtp_url = env.SMTP_URL?.trim();
	const configured_from = env.MAIL_FROM?.trim();

	let transport: MailTransportSettings;
	if (smtp_url) {
		check_smtp_url(smtp_url);
		if (!configured_from) {
			throw new Error(
				'MAIL_FROM is not set. With SMTP_URL set, set MAIL_FROM to the sender, for example "Shop <orders@shop.example>".'
			);
		}
		transport = { kind: 'smtp', url: smtp_url };
	} else {
		transport = {
			kind: 'mailbox',
			dir: resolve(cwd, env.MAILBOX_DIR?.trim() || DEFAULT_MAILBOX_DIR)
		};
	}

	const from = configured_from || DEFAULT_MAIL_FROM;
	return { transport, from, domain: sender_domain(from), shop_name: SHOP_NAME };
}

/**
 * Checks whether the development mailbox page may be shown: only without SMTP and outside
 * production. Netlify sets `CONTEXT` at build time, and a function's `context.deploy.context`
 * at run time, so both are checked.
 */
export function is_mailbox_page_enabled(env: Env, deploy_context?: string | null): boolean {
	if (env.SMTP_URL?.trim()) return false;
	return env.CONTEXT !== 'production' && deploy_context !== 'production';
}

function check_smtp_url(url: string): void {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new Error('Invalid SMTP_URL: expected smtp://user:password@host:port or smtps://…');
	}
	if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
		throw new Error(`Invalid SMTP_URL protocol "${parsed.protocol}": expected smtp: or smtps:`);
	}
	if (!parsed.hostname) throw new Error('Invalid SMTP_URL: the host is missing');
}

/** Takes the domain from `Name <local@domain>` or `local@domain`. */
function sender_domain(from: string): string {
	const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
	const at = address.lastIndexOf('@');
	const domain = at > 0 ? address.slice(at + 1).trim() : '';
	if (!/^[A-Za-z0-9.-]+$/.test(domain)) {
		throw new Error(
			`Invalid MAIL_FROM "${from}": expected an address such as "Shop <orders@shop.example>"`
		);
	}
	return domain.toLowerCase();
}
