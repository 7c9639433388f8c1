// The region picker is static; the edge normally redirects `/` to a region before it is served.
export const prerender = true;
