import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { API_NAMESPACE, IErrorResponse } from './tokens';

/**
 * Call a route of the tf2-migrate server extension and decode its JSON body.
 *
 * `ServerConnection.makeRequest` adds the token and XSRF headers, so every
 * route can stay authenticated on the server side.
 *
 * @throws ServerConnection.NetworkError when the server cannot be reached.
 * @throws ServerConnection.ResponseError with the server's `message` when the
 *   answer is not 2xx.
 */
export async function requestAPI<T>(
  endPoint: string,
  serverSettings: ServerConnection.ISettings,
  init: RequestInit = {}
): Promise<T> {
  const url = URLExt.join(serverSettings.baseUrl, API_NAMESPACE, endPoint);

  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, serverSettings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }

  const text = await response.text();
  const body = parseJSON(text);

  if (!response.ok) {
    // Without a JSON message (e.g. the HTML 404 page of a server without the
    // extension), the status line says more than the page would.
    const message =
      (body as IErrorResponse | undefined)?.message ??
      `${response.status} ${response.statusText}`.trim();
    throw new ServerConnection.ResponseError(response, message);
  }
  return body as T;
}

/** An HTML error page (proxy, missing route) is not JSON; keep it as text. */
function parseJSON(text: string): unknown {
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
