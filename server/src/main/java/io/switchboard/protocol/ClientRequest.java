package io.switchboard.protocol;

/**
 * One request of the Centrifugo client protocol, decoded from the wire by a codec. The records mirror the
 * request messages of Centrifugo's {@code client.proto} (field names in Java style), reduced to the fields
 * Switchboard reads, so that the Protobuf codec's generated classes map onto them one to one.
 *
 * <p>Every {@code data} field is bytes, as in {@code client.proto}: the JSON codec gives the JSON value's
 * compact text in UTF-8, the Protobuf codec the bytes as sent (which need not be JSON). Records with an array
 * compare it by identity: compare their fields in tests.
 */
public sealed interface ClientRequest permits ConnectRequest, SubscribeRequest, UnsubscribeRequest, PublishRequest,
    PresenceRequest, PresenceStatsRequest, HistoryRequest, SendRequest, RpcRequest, RefreshRequest,
    SubRefreshRequest {}
