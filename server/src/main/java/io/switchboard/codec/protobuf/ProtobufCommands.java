package io.switchboard.codec.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.switchboard.codec.BadMessageException;
import io.switchboard.codec.protobuf.wire.Command;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.model.StreamPosition;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ClientCommand.Kind;
import io.switchboard.protocol.ClientRequest;
import io.switchboard.protocol.ConnectRequest;
import io.switchboard.protocol.HistoryRequest;
import io.switchboard.protocol.PresenceRequest;
import io.switchboard.protocol.PresenceStatsRequest;
import io.switchboard.protocol.PublishRequest;
import io.switchboard.protocol.RefreshRequest;
import io.switchboard.protocol.RpcRequest;
import io.switchboard.protocol.SendRequest;
import io.switchboard.protocol.SubRefreshRequest;
import io.switchboard.protocol.SubscribeRequest;
import io.switchboard.protocol.UnsubscribeRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Protobuf protocol's commands: a binary message is a stream of {@code Command}s, each prefixed with
 * its length as a varint. Everything else follows the JSON decoder ({@code codec.json.JsonCommands}): an empty
 * command is the pong; the method is the first request present in the protocol's order; a command without a
 * known request is an unknown method (104, or 3501 with id 0); a missing required field is 107 naming it,
 * with the JSON decoder's words. Proto3 cannot tell an empty string or bytes from an absent one, so empty
 * means absent.
 */
final class ProtobufCommands {
  private static final BadMessageException MALFORMED =
      new BadMessageException("not a length-delimited stream of Protobuf commands");

  private ProtobufCommands() {}

  static List<ClientCommand> decode(byte[] message) {
    CodedInputStream in = CodedInputStream.newInstance(message);
    List<ClientCommand> commands = new ArrayList<>(2);
    try {
      while (!in.isAtEnd()) {
        int length = in.readRawVarint32();
        int at = in.getTotalBytesRead();
        if (length < 0 || length > message.length - at) {
          throw MALFORMED; // truncated
        }
        Command cmd = Command.parser().parseFrom(message, at, length);
        in.skipRawBytes(length);
        commands.add(command(cmd));
      }
    } catch (InvalidProtocolBufferException e) {
      throw MALFORMED;
    } catch (IOException e) {
      throw MALFORMED;
    }
    return commands;
  }

  static ClientCommand command(Command cmd) {
    long id = Integer.toUnsignedLong(cmd.getId());
    String method = methodOf(cmd);
    if (method == null) {
      if (id == 0 && cmd.getSerializedSize() == 0) {
        return ClientCommand.PONG;
      }
      return ClientCommand.without(Kind.UNKNOWN_METHOD, id);
    }
    try {
      return new ClientCommand(id, method, request(method, cmd), null);
    } catch (CoreException e) {
      return new ClientCommand(id, method, null, e);
    }
  }

  /** The first request the command carries, in the protocol's order (as JsonCommands.METHODS). */
  private static String methodOf(Command c) {
    if (c.hasConnect()) {
      return "connect";
    } else if (c.hasSubscribe()) {
      return "subscribe";
    } else if (c.hasUnsubscribe()) {
      return "unsubscribe";
    } else if (c.hasPublish()) {
      return "publish";
    } else if (c.hasPresence()) {
      return "presence";
    } else if (c.hasPresenceStats()) {
      return "presence_stats";
    } else if (c.hasHistory()) {
      return "history";
    } else if (c.hasSend()) {
      return "send";
    } else if (c.hasRpc()) {
      return "rpc";
    } else if (c.hasRefresh()) {
      return "refresh";
    } else if (c.hasSubRefresh()) {
      return "sub_refresh";
    }
    return null;
  }

  private static ClientRequest request(String method, Command c) {
    return switch (method) {
      case "connect" -> connect(c.getConnect());
      case "subscribe" -> subscribe(c.getSubscribe());
      case "unsubscribe" -> new UnsubscribeRequest(required(c.getUnsubscribe().getChannel(), "channel"));
      case "publish" -> publish(c.getPublish());
      case "presence" -> new PresenceRequest(required(c.getPresence().getChannel(), "channel"));
      case "presence_stats" -> new PresenceStatsRequest(required(c.getPresenceStats().getChannel(), "channel"));
      case "history" -> history(c.getHistory());
      case "send" -> new SendRequest(data(c.getSend().getData()));
      case "rpc" -> new RpcRequest(optional(c.getRpc().getMethod()), data(c.getRpc().getData()));
      case "refresh" -> new RefreshRequest(required(c.getRefresh().getToken(), "token"));
      case "sub_refresh" -> new SubRefreshRequest(required(c.getSubRefresh().getChannel(), "channel"),
          required(c.getSubRefresh().getToken(), "token"));
      default -> throw new IllegalArgumentException("not a client command: " + method);
    };
  }

  private static ConnectRequest connect(io.switchboard.codec.protobuf.wire.ConnectRequest p) {
    Map<String, SubscribeRequest> recovery = new LinkedHashMap<>();
    p.getSubsMap().forEach((channel, s) -> recovery.put(channel,
        SubscribeRequest.recovery(s.getRecover(), offset(s.getOffset()), optional(s.getEpoch()))));
    return new ConnectRequest(optional(p.getToken()), data(p.getData()), recovery);
  }

  private static SubscribeRequest subscribe(io.switchboard.codec.protobuf.wire.SubscribeRequest p) {
    return new SubscribeRequest(required(p.getChannel(), "channel"), optional(p.getToken()), p.getRecover(),
        optional(p.getEpoch()), offset(p.getOffset()), p.getPositioned(), p.getRecoverable(), p.getJoinLeave());
  }

  private static PublishRequest publish(io.switchboard.codec.protobuf.wire.PublishRequest p) {
    String channel = required(p.getChannel(), "channel");
    byte[] data = data(p.getData());
    if (data == null) {
      throw new CoreException(Failure.BAD_REQUEST, "data required");
    }
    return new PublishRequest(channel, data);
  }

  private static HistoryRequest history(io.switchboard.codec.protobuf.wire.HistoryRequest p) {
    String channel = required(p.getChannel(), "channel");
    StreamPosition since = p.hasSince()
        ? new StreamPosition(offset(p.getSince().getOffset()), optional(p.getSince().getEpoch())) : null;
    return new HistoryRequest(channel, p.getLimit(), since, p.getReverse());
  }

  private static String required(String value, String key) {
    if (value.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, key + " required");
    }
    return value;
  }

  /**
   * A uint64 offset as Java reads it: 2^63 and above arrive negative. Switchboard's offsets stop below 2^63, so
   * such an offset is refused (107) rather than wrapped to another position, as the JSON codec does.
   */
  private static long offset(long uint64) {
    if (uint64 < 0) {
      throw new CoreException(Failure.BAD_REQUEST, "offset out of range");
    }
    return uint64;
  }

  private static String optional(String value) {
    return value.isEmpty() ? null : value;
  }

  private static byte[] data(ByteString data) {
    return data.isEmpty() ? null : data.toByteArray();
  }
}
