/** The smallest Netlify Functions handler: the baseline of the cold start benchmark. */
export default async function handler() {
	return new Response('ok', { headers: { 'content-type': 'text/plain' } });
}
