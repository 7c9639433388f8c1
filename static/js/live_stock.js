// @ts-check
/**
 * Replaces the stock level that a prerendered product page was built with by the live one from
 * its stock endpoint (`data-live-stock`), and enables or disables the add-to-cart button to
 * match. When the request fails, the page keeps the prerendered level. Checkout checks stock
 * again anyway.
 */
(() => {
	const KINDS = ['in_stock', 'low', 'out_of_stock'];

	/** @param {HTMLElement} line */
	async function refresh(line) {
		const url = line.dataset.liveStock;
		const label = line.querySelector('[data-stock-label]');
		if (!url || !label) return;

		let live;
		try {
			const response = await fetch(url, { headers: { accept: 'application/json' } });
			if (!response.ok) return;
			live = await response.json();
		} catch {
			return;
		}
		const is_valid =
			Number.isInteger(live?.stock) && KINDS.includes(live.kind) && typeof live.label === 'string';
		if (!is_valid) return;

		line.dataset.kind = live.kind;
		label.textContent = live.label;
		const button = document.querySelector('form[data-add-to-cart] button[type="submit"]');
		if (button instanceof HTMLButtonElement) button.disabled = live.stock <= 0;
	}

	for (const line of document.querySelectorAll('[data-live-stock]')) {
		if (line instanceof HTMLElement) refresh(line);
	}
})();
