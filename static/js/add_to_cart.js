// @ts-check
/**
 * Enhances the add-to-cart form of product pages, which render without the SvelteKit client so
 * that they ship almost no JavaScript. It posts the form to the cart action the way `use:enhance`
 * does and announces the result in the form's live region, so the visitor stays on the page.
 * Without this script the form posts normally and the action redirects to the cart.
 */
(() => {
	/**
	 * Reads one field of an action result's `data`, which SvelteKit serializes with devalue: a
	 * JSON array whose first item maps each key to the index of its value.
	 * @param {unknown} data
	 * @param {string} key
	 */
	function read_field(data, key) {
		try {
			const values = JSON.parse(String(data));
			const value = values[values[0][key]];
			return typeof value === 'string' || typeof value === 'number' ? value : undefined;
		} catch {
			return undefined;
		}
	}

	/**
	 * @param {HTMLElement} status
	 * @param {boolean} ok
	 * @param {string} text
	 * @param {string | undefined} cart_href
	 */
	function announce(status, ok, text, cart_href) {
		const message = document.createElement('p');
		message.className = `notice ${ok ? 'success' : 'error'}`;
		message.textContent = `${text} `;
		if (cart_href) {
			const link = document.createElement('a');
			link.href = cart_href;
			link.textContent = 'View cart';
			message.append(link);
		}
		status.replaceChildren(message);
	}

	/** @param {HTMLFormElement} form */
	function enhance(form) {
		const status = /** @type {HTMLElement | null} */ (form.querySelector('[role="status"]'));
		const button = form.querySelector('button[type="submit"]');
		const quantity = form.querySelector('input[name="quantity"]');
		if (!status || !(button instanceof HTMLButtonElement) || !quantity) return;
		const label = button.textContent;

		form.addEventListener('submit', async (event) => {
			event.preventDefault();
			const body = new FormData(form);
			// Tells the action to return data instead of redirecting to the cart.
			body.set('enhanced', '1');
			button.disabled = true;
			button.textContent = 'Adding…';
			status.replaceChildren();

			try {
				const response = await fetch(form.action, {
					method: 'POST',
					body,
					headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }
				});
				const result = await response.json();
				if (result.type === 'success') {
					const added = read_field(result.data, 'quantity');
					const in_cart = read_field(result.data, 'in_cart');
					const text = `Added ${added} × ${form.dataset.name} to your cart (${in_cart} in cart).`;
					announce(status, true, text, form.dataset.cart);
					quantity.removeAttribute('aria-invalid');
				} else if (result.type === 'failure') {
					const message = read_field(result.data, 'message');
					announce(status, false, String(message ?? 'Could not add this item.'), undefined);
					if (read_field(result.data, 'field') === 'quantity') {
						quantity.setAttribute('aria-invalid', 'true');
					}
				} else if (result.type === 'redirect') {
					location.assign(result.location);
				} else {
					throw new Error(`Unexpected action result "${result.type}"`);
				}
			} catch {
				// After a network failure or an unexpected result, post the form without the script.
				HTMLFormElement.prototype.submit.call(form);
			} finally {
				button.disabled = false;
				button.textContent = label;
			}
		});
	}

	for (const form of document.querySelectorAll('form[data-add-to-cart]')) {
		if (form instanceof HTMLFormElement) enhance(form);
	}
})();
