// Tailwind CSS v4 through PostCSS (Next picks this file up for app/globals.css). The native parts
// (oxide, lightningcss) come as npm platform packages; nothing is downloaded at build time.
export default { plugins: { '@tailwindcss/postcss': {} } };
