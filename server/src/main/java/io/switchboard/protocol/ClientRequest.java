package io.switchboard.protocol;

/**
 * One request of the Centrifugo client protocol, decoded from the wire by a codec. The records mirror the
 * request messages of Centrifugo's {@code client.proto} (field names in Java style), reduced to the fields
 * Switchboard reads, so that the Protobuf codec's generated classes map onto them one to one.
 *
 * <p>Every {@code data} field is raw JSON text for now (what the JSON codec reads, via
 * {@code model.RawJson}); the Protobuf codec turns these fields into bytes.
 */
public sealed interface ClientRequest permits ConnectRequest, SubscribeRequest, UnsubscribeRequest, PublishRequest,
    PresenceRequest, PresenceStatsRequest, HistoryRequest, SendRequest, RpcRequest, RefreshRequest,
    SubRefreshRequest {}
