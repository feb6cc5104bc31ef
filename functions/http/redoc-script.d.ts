/** Redoc's standalone bundle as text: esbuild's import attribute `type: 'text'` (functions/handlers/docs.ts). */
declare module 'redoc/bundles/redoc.standalone.js' {
  const text: string;
  export default text;
}
