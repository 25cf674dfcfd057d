package io.switchboard.protocol;

/**
 * The result of one client command, as a codec encodes it into the reply. The records mirror the result
 * messages of Centrifugo's {@code client.proto}. Optional parts follow proto3: a false, zero, null or empty
 * value means "absent", and the JSON codec leaves it out of the reply (see {@code codec.json.JsonReplies}).
 */
public sealed interface ClientResult permits ConnectResult, SubscribeResult, UnsubscribeResult, PublishResult,
    PresenceResult, PresenceStatsResult, HistoryResult, RpcResult, RefreshResult, SubRefreshResult {}
