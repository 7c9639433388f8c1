import { ORDER_PLACED_TOPIC } from '../commerce/checkout.ts';
import type { Deliver } from '../commerce/outbox.ts';
import { compose_order_confirmation, parse_order_placed_payload } from './order_confirmation.ts';
import type { MailSettings } from './settings.ts';
import type { MailSender } from './transport.ts';

/**
 * Returns the outbox `deliver` function that emails each event. The Message-ID is built from the
 * event's idempotency key, so a repeated send carries the same Message-ID as the first one: the
 * local mailbox overwrites it, and mail clients can treat it as a duplicate.
 */
export function create_email_deliverer(sender: MailSender, settings: MailSettings): Deliver {
	return async (event, context) => {
		if (event.topic !== ORDER_PLACED_TOPIC) {
			throw new Error(
				`Outbox event ${event.id} has topic "${event.topic}", which has no email. Expected "${ORDER_PLACED_TOPIC}".`
			);
		}
		const payload = parse_order_placed_payload(event.payload);
		const email = compose_order_confirmation(payload, settings.shop_name);
		const sent = await sender.send({
			...email,
			message_id: `<${context.idempotency_key}@${settings.domain}>`
		});
		return { message_id: sent.message_id };
	};
}
