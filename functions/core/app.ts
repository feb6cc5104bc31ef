/** An app that calls the API, as its token identifies it: every request it creates belongs to it alone. */
export interface App {
  appId: string;
  appName: string;
}
