import type { SubmitFunction } from '@sveltejs/kit';

/**
 * Submission state of a form posted with `use:enhance`. `pending` stays true until SvelteKit has
 * applied the action result, so the submit button can be disabled against double submits.
 */
export class FormSubmission {
	pending = $state(false);

	/**
	 * Callback for `use:enhance`. The form is not reset afterwards, so the fields keep what the
	 * visitor typed when the action fails.
	 */
	readonly enhance: SubmitFunction = () => {
		this.pending = true;
		return async ({ update }) => {
			await update({ reset: false });
			this.pending = false;
		};
	};
}
