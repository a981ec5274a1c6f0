/** The help text: every command, its options and an example. */
export const USAGE = `usage: alert-router <command> [options]

commands:
  check-config [--config FILE]
      Loads the configuration exactly as start-up does (ALERT_ROUTER_CONFIG and the environment)
      and lists every problem. Exit 0 when valid, 1 when not.

  routes test [--config FILE] [--receiver NAME] label=value ...
      Prints the channels a notification with these common labels would reach, one per line with
      its type. Needs only the file, not the secrets. Without --receiver, routes that name a
      receiver do not match.
      e.g. alert-router routes test severity=critical team=ml

  send-test [--url URL] [--token T] [--receiver NAME] [--resolve] [label=value ...]
      Posts a synthetic Alertmanager notification (alertname AlertRouterTest, severity info unless
      given) to URL/webhook/alertmanager of a running alert-router (default http://127.0.0.1:8080),
      with --token or WEBHOOK_BEARER_TOKEN(_FILE) (else WEBHOOK_BASIC_AUTH(_FILE)). --resolve sends
      the resolution of the last test sent from this machine. Exit 0 on 2xx, 1 otherwise.

  --help
      This text.

exit codes: 0 ok, 1 the check or the request failed, 2 the command line is wrong.
`;
