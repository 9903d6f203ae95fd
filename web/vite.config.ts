import { defineConfig } from 'vite';

// The build is embedded in the herald binary; hashed names let the server cache assets forever.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2022',
    assetsInlineLimit: 0, // the CSP allows no data: scripts or styles: keep every asset a file
    modulePreload: { polyfill: false }, // the polyfill is an inline script, which the CSP refuses
    reportCompressedSize: false,
  },
});
