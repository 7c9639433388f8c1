/**
 * Form field that the cart page's `use:enhance` and `/js/add_to_cart.js` add to a cart form.
 * An action that finds it returns data for the page to show in place. Without it, which means
 * no JavaScript ran, the action redirects 303 to the cart.
 */
export const ENHANCED_FIELD = 'enhanced';
