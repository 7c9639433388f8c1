/**
 * Sends composed emails through nodemailer: over SMTP when `SMTP_URL` is set, else into the
 * local mailbox folder. Both paths build the same RFC 5322 message with the given Message-ID.
 */
import { createTransport, type Transporter } from 'nodemailer';
import { write_mailbox_message } from './mailbox.ts';
import type { ComposedEmail } from './order_confirmation.ts';
import type { MailSettings } from './settings.ts';

export interface OutgoingEmail extends ComposedEmail {
	/** `<local@domain>`, the same for every attempt at one outbox event. */
	message_id: string;
}

export interface SendResult {
	/** The Message-ID the message went out with. */
	message_id: string;
	/** SMTP: the server's reply to the message, such as `250 OK: queued as 1234`. */
	response?: string;
	/** Mailbox: the file written. */
	path?: string;
}

export interface MailSender {
	send(email: OutgoingEmail): Promise<SendResult>;
	/** Closes open SMTP connections. */
	close(): void;
}

/** Milliseconds for the TCP connect, the server greeting and any idle socket, respectively. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** Creates the sender that `settings.transport` selects. */
export function create_mail_sender(settings: MailSettings): MailSender {
	return settings.transport.kind === 'smtp'
		? create_smtp_sender(settings, settings.transport.url)
		: create_mailbox_sender(settings, settings.transport.dir);
}

function create_smtp_sender(settings: MailSettings, url: string): MailSender {
	// The URL's own options win over these defaults, for example `?connectionTimeout=5000`.
	const transporter = createTransport({ url, ...SMTP_TIMEOUTS });
	return {
		async send(email) {
			const info = await transporter.sendMail(to_mail_options(settings, email));
			return { message_id: info.messageId, response: info.response };
		},
		close: () => transporter.close()
	};
}

function create_mailbox_sender(settings: MailSettings, dir: string): MailSender {
	const transporter: Transporter = createTransport({
		streamTransport: true,
		buffer: true,
		newline: 'windows'
	});
	return {
		async send(email) {
			const info = await transporter.sendMail(to_mail_options(settings, email));
			const path = await write_mailbox_message(dir, email.message_id, info.message as Buffer);
			return { message_id: email.message_id, path };
		},
		close: () => transporter.close()
	};
}

function to_mail_options(settings: MailSettings, email: OutgoingEmail) {
	return {
		from: settings.from,
		to: email.to,
		subject: email.subject,
		text: email.text,
		html: email.html,
		messageId: email.message_id
	};
}
