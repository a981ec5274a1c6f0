/**
 * The part of MLflow's REST API the exporter reads
 * (https://mlflow.org/docs/latest/api_reference/rest-api.html): registered-models/search and
 * model-versions/search, both paged with page_token. Timestamps are milliseconds.
 */
export interface ModelVersion {
  name: string;
  version: string;
  current_stage?: string;
  status?: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  tags?: Array<{ key: string; value: string }>;
}

export interface RegisteredModel {
  name: string;
  last_updated_timestamp?: number;
  aliases?: Array<{ alias: string; version: string }>;
}

export interface MlflowAuth {
  /** MLFLOW_TRACKING_TOKEN: sent as a bearer token. */
  token?: string;
  /** MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD: HTTP basic auth. */
  username?: string;
  password?: string;
}

/** Pages stop here, so a registry that keeps answering with a token cannot loop the exporter. */
const MAX_PAGES = 1000;

export class MlflowClient {
  private readonly headers: Record<string, string> = { accept: 'application/json' };

  constructor(
    private readonly baseUrl: string,
    auth: MlflowAuth = {},
    private readonly timeoutMs = 10_000,
  ) {
    if (auth.token) this.headers.authorization = `Bearer ${auth.token}`;
    else if (auth.username)
      this.headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`;
  }

  async registeredModels(): Promise<RegisteredModel[]> {
    return this.paged<RegisteredModel>(
      'registered-models/search',
      { max_results: '100' },
      'registered_models',
    );
  }

  async versions(model: string): Promise<ModelVersion[]> {
    // MLflow's filter grammar quotes strings with ' or "; a name holding one is quoted with the other.
    const quote = model.includes("'") ? '"' : "'";
    return this.paged<ModelVersion>(
      'model-versions/search',
      { filter: `name=${quote}${model}${quote}`, max_results: '1000' },
      'model_versions',
    );
  }

  private async paged<T>(path: string, query: Record<string, string>, key: string): Promise<T[]> {
    const out: T[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const params = new URLSearchParams(query);
      if (token) params.set('page_token', token);
      const url = `${this.baseUrl.replace(/\/+$/, '')}/api/2.0/mlflow/${path}?${params.toString()}`;
      const res = await fetch(url, { headers: this.headers, signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) {
        const text = (await res.text()).slice(0, 200);
        throw new Error(`GET ${path} answered ${res.status}: ${text}`);
      }
      const body = (await res.json()) as Record<string, unknown>;
      const items = body[key];
      if (items !== undefined && !Array.isArray(items))
        throw new Error(`GET ${path}: "${key}" is not a list`);
      out.push(...((items ?? []) as T[]));
      token =
        typeof body.next_page_token === 'string' && body.next_page_token ? body.next_page_token : undefined;
      if (!token) return out;
    }
    throw new Error(`GET ${path}: more than ${MAX_PAGES} pages`);
  }
}
