/** What `GET /system/df` needs (consumer-declared). */
export interface SystemDfBackend {
  df(types: string[]): Promise<unknown>;
}
