package io.switchboard.codec.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.switchboard.codec.protobuf.wire.Error;
import io.switchboard.codec.protobuf.wire.Reply;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.protocol.ClientResult;
import io.switchboard.protocol.ConnectResult;
import io.switchboard.protocol.HistoryResult;
import io.switchboard.protocol.PresenceResult;
import io.switchboard.protocol.PresenceStatsResult;
import io.switchboard.protocol.RefreshResult;
import io.switchboard.protocol.ReplyError;
import io.switchboard.protocol.RpcResult;
import io.switchboard.protocol.SubRefreshResult;
import io.switchboard.protocol.SubscribeResult;
import java.util.List;

/**
 * Typed results as the generated {@code client.proto} messages, field for field as {@code codec.json.JsonReplies}
 * writes them (proto3 leaves zero values out by itself). A successful reply always carries its result message,
 * empty at least, as the SDKs look for it.
 */
final class ProtobufReplies {
  private ProtobufReplies() {}

  static Reply reply(long id, String method, ClientResult result) {
    Reply.Builder r = Reply.newBuilder().setId((int) id);
    switch (method) {
      case "connect" -> r.setConnect(result instanceof ConnectResult c ? connect(c)
          : io.switchboard.codec.protobuf.wire.ConnectResult.getDefaultInstance());
      case "subscribe" -> r.setSubscribe(result instanceof SubscribeResult s ? subscribe(s)
          : io.switchboard.codec.protobuf.wire.SubscribeResult.getDefaultInstance());
      case "unsubscribe" -> r.setUnsubscribe(io.switchboard.codec.protobuf.wire.UnsubscribeResult.getDefaultInstance());
      case "publish" -> r.setPublish(io.switchboard.codec.protobuf.wire.PublishResult.getDefaultInstance());
      case "presence" -> r.setPresence(presence(result instanceof PresenceResult p ? p : null));
      case "presence_stats" -> r.setPresenceStats(presenceStats(result instanceof PresenceStatsResult p ? p : null));
      case "history" -> r.setHistory(history(result instanceof HistoryResult h ? h : null));
      case "rpc" -> r.setRpc(io.switchboard.codec.protobuf.wire.RPCResult.newBuilder()
          .setData(bytes(result instanceof RpcResult rpc ? rpc.data() : null)));
      case "refresh" -> r.setRefresh(refresh(result instanceof RefreshResult f ? f : null));
      case "sub_refresh" -> r.setSubRefresh(subRefresh(result instanceof SubRefreshResult f ? f : null));
      default -> throw new IllegalArgumentException("no reply to " + method + " (" + result + ")");
    }
    return r.build();
  }

  static Reply error(long id, ReplyError e) {
    return Reply.newBuilder().setId((int) id).setError(Error.newBuilder().setCode(e.code())
        .setMessage(e.message()).setTemporary(e.temporary())).build();
  }

  static io.switchboard.codec.protobuf.wire.ConnectResult connect(ConnectResult r) {
    var o = io.switchboard.codec.protobuf.wire.ConnectResult.newBuilder();
    if (r.client() == null) {
      return o.build(); // ConnectResult.NONE
    }
    o.setClient(r.client()).setVersion(r.version()).setPing((int) r.ping()).setPong(r.pong());
    if (r.expires()) {
      o.setExpires(true).setTtl((int) r.ttl());
    }
    if (r.subs() != null) {
      r.subs().forEach((channel, sub) -> o.putSubs(channel, subscribe(sub)));
    }
    if (r.session() != null) { // an emulated transport's session: where its emulation requests go
      o.setSession(r.session()).setNode(r.node());
    }
    if (r.data() != null) {
      o.setData(bytes(r.data()));
    }
    return o.build();
  }

  /** Also each entry of connect's {@code subs}; as JsonReplies.subscribe. */
  static io.switchboard.codec.protobuf.wire.SubscribeResult subscribe(SubscribeResult r) {
    var o = io.switchboard.codec.protobuf.wire.SubscribeResult.newBuilder();
    if (r.expires()) {
      o.setExpires(true).setTtl((int) r.ttl());
    }
    if (r.epoch() == null) {
      return o.build(); // position not told
    }
    o.setRecoverable(r.recoverable()).setPositioned(r.positioned()).setEpoch(r.epoch())
        .setWasRecovering(r.wasRecovering());
    if (r.recovered()) {
      o.setRecovered(true).setOffset(r.offset()); // where recovery started
      for (Publication p : r.publications()) {
        o.addPublications(publication(p));
      }
    } else {
      o.setOffset(r.offset());
    }
    return o.build();
  }

  private static io.switchboard.codec.protobuf.wire.PresenceResult presence(PresenceResult r) {
    var o = io.switchboard.codec.protobuf.wire.PresenceResult.newBuilder();
    if (r != null) {
      r.presence().forEach((client, info) -> o.putPresence(client, info(info)));
    }
    return o.build();
  }

  private static io.switchboard.codec.protobuf.wire.PresenceStatsResult presenceStats(PresenceStatsResult r) {
    var o = io.switchboard.codec.protobuf.wire.PresenceStatsResult.newBuilder();
    if (r != null) {
      o.setNumClients(r.numClients()).setNumUsers(r.numUsers());
    }
    return o.build();
  }

  private static io.switchboard.codec.protobuf.wire.HistoryResult history(HistoryResult r) {
    var o = io.switchboard.codec.protobuf.wire.HistoryResult.newBuilder();
    if (r != null) {
      o.addAllPublications(publications(r.publications()));
      if (r.epoch() != null) {
        o.setEpoch(r.epoch());
      }
      o.setOffset(r.offset());
    }
    return o.build();
  }

  private static io.switchboard.codec.protobuf.wire.RefreshResult refresh(RefreshResult r) {
    var o = io.switchboard.codec.protobuf.wire.RefreshResult.newBuilder();
    if (r != null) {
      if (r.client() != null) {
        o.setClient(r.client());
      }
      if (r.version() != null) {
        o.setVersion(r.version());
      }
      if (r.expires()) {
        o.setExpires(true).setTtl((int) r.ttl());
      }
    }
    return o.build();
  }

  private static io.switchboard.codec.protobuf.wire.SubRefreshResult subRefresh(SubRefreshResult r) {
    var o = io.switchboard.codec.protobuf.wire.SubRefreshResult.newBuilder();
    if (r != null && r.expires()) {
      o.setExpires(true).setTtl((int) r.ttl());
    }
    return o.build();
  }

  static List<io.switchboard.codec.protobuf.wire.Publication> publications(List<Publication> pubs) {
    return pubs.stream().map(ProtobufReplies::publication).toList();
  }

  /** A publication as pushes, history and recovery carry it: its data bytes as they are, JSON or not. */
  static io.switchboard.codec.protobuf.wire.Publication publication(Publication p) {
    var o = io.switchboard.codec.protobuf.wire.Publication.newBuilder().setData(bytes(p.data()))
        .setOffset(p.offset());
    if (p.info() != null) {
      o.setInfo(info(p.info()));
    }
    if (p.tags() != null && !p.tags().isEmpty()) {
      // A tag without a value (JSON null in an outbox row's tags) has no Protobuf form: left out, not a failure.
      p.tags().forEach((k, v) -> {
        if (k != null && v != null) {
          o.putTags(k, v);
        }
      });
    }
    return o.build();
  }

  /** {@code conn_info} and {@code chan_info} are JSON text: their UTF-8 bytes. */
  static io.switchboard.codec.protobuf.wire.ClientInfo info(ClientInfo i) {
    var o = io.switchboard.codec.protobuf.wire.ClientInfo.newBuilder()
        .setUser(i.user() == null ? "" : i.user()).setClient(i.client() == null ? "" : i.client());
    if (i.connInfo() != null) {
      o.setConnInfo(ByteString.copyFromUtf8(i.connInfo()));
    }
    if (i.chanInfo() != null) {
      o.setChanInfo(ByteString.copyFromUtf8(i.chanInfo()));
    }
    return o.build();
  }

  /** Shared, never modified arrays (publication data): wrapped, not copied. */
  static ByteString bytes(byte[] data) {
    return data == null ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(data);
  }
}
