import { describe, expect, test } from 'vitest';
import { is_mailbox_page_enabled, read_mail_settings } from './settings.ts';

describe('read_mail_settings', () => {
	test('uses the mailbox without SMTP_URL', () => {
		const settings = read_mail_settings({}, '/srv/shop');

		expect(settings).toEqual({
			transport: { kind: 'mailbox', dir: '/srv/shop/.data/mailbox' },
			from: 'Splitshop <orders@splitshop.test>',
			domain: 'splitshop.test',
			shop_name: 'Splitshop'
		});
	});

	test('resolves MAILBOX_DIR', () => {
		expect(read_mail_settings({ MAILBOX_DIR: 'tmp/mail' }, '/srv/shop').transport).toEqual({
			kind: 'mailbox',
			dir: '/srv/shop/tmp/mail'
		});
		expect(read_mail_settings({ MAILBOX_DIR: '/var/mail' }, '/srv/shop').transport).toEqual({
			kind: 'mailbox',
			dir: '/var/mail'
		});
	});

	test('uses SMTP with SMTP_URL', () => {
		const settings = read_mail_settings({
			SMTP_URL: 'smtp://user:pass@smtp.example.com:587',
			MAIL_FROM: 'Shop <Orders@Shop.Example>',
			MAILBOX_DIR: '/ignored'
		});

		expect(settings.transport).toEqual({
			kind: 'smtp',
			url: 'smtp://user:pass@smtp.example.com:587'
		});
		expect(settings.from).toBe('Shop <Orders@Shop.Example>');
		expect(settings.domain).toBe('shop.example');
	});

	test('requires MAIL_FROM with SMTP', () => {
		expect(() => read_mail_settings({ SMTP_URL: 'smtp://smtp.example.com' })).toThrow(
			'MAIL_FROM is not set. With SMTP_URL set, set MAIL_FROM to the sender'
		);
	});

	test('rejects invalid SMTP_URL', () => {
		const from = 'orders@shop.example';
		expect(() => read_mail_settings({ SMTP_URL: 'not a url', MAIL_FROM: from })).toThrow(
			'Invalid SMTP_URL: expected smtp://user:password@host:port or smtps://…'
		);
		expect(() =>
			read_mail_settings({ SMTP_URL: 'https://smtp.example.com', MAIL_FROM: from })
		).toThrow('Invalid SMTP_URL protocol "https:": expected smtp: or smtps:');
	});

	test('rejects MAIL_FROM without a domain', () => {
		expect(() => read_mail_settings({ MAIL_FROM: 'Shop <orders>' })).toThrow(
			'Invalid MAIL_FROM "Shop <orders>": expected an address such as "Shop <orders@shop.example>"'
		);
	});
});

describe('is_mailbox_page_enabled', () => {
	test('enabled locally without SMTP', () => {
		expect(is_mailbox_page_enabled({})).toBe(true);
		expect(is_mailbox_page_enabled({ CONTEXT: 'dev' }, 'dev')).toBe(true);
	});

	test('disabled with SMTP_URL', () => {
		expect(is_mailbox_page_enabled({ SMTP_URL: 'smtp://smtp.example.com' })).toBe(false);
	});

	test('disabled in production', () => {
		expect(is_mailbox_page_enabled({ CONTEXT: 'production' })).toBe(false);
		expect(is_mailbox_page_enabled({}, 'production')).toBe(false);
	});
});
