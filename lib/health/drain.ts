// Whether this process is shutting down. While it is, /readyz answers 503 so load balancers stop sending
// it new work, and the web server asks clients to close their keep-alive connections.
let since: number | undefined;

export function startDraining(): void {
  since ??= Date.now();
}

export function isDraining(): boolean {
  return since !== undefined;
}
