package io.switchboard.config;

/**
 * The whole configuration, validated. Built by {@link ConfigLoader} from the built-in defaults
 * ({@code conf/switchboard.yaml}, packed into the jar), an optional {@code --conf} file and
 * {@code SWITCHBOARD_*} environment variables, in that order of precedence (last wins).
 */
public record SwitchboardConfig(
    String nodeName,
    HttpConfig http,
    String dataDir,
    PostgresConfig postgres,
    TokenConfig token,
    String apiKey,
    boolean demo,
    ClientConfig client,
    ChannelConfig channels,
    ClusterConfig cluster,
    ShutdownConfig shutdown,
    PushConfig push,
    OutboxConfig outbox,
    StreamsConfig streams, UniConfig uni,
    /** {@code metrics.bearer_token}: when set, {@code GET /metrics} needs {@code Authorization: Bearer} it. */
    String metricsToken,
    PayloadConfig payload,
    WebhookConfig webhooks,
    /** The application backend proxies (docs/proxy.md). */
    ProxyConfig proxy,
    PusherConfig pusher) {}
