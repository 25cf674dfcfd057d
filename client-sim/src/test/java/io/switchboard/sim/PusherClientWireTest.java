package io.switchboard.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PusherClientWireTest {

  @Test
  void readsPusherFramesAsTheSameEventsAsTheOtherProtocols() {
    PusherClientWire wire = new PusherClientWire();
    RecordingEvents ev = new RecordingEvents();
    ev.pending.put(1L, new WireEvents.Pending(WireEvents.CONNECT, null, 0));
    ev.pending.put(2L, new WireEvents.Pending(WireEvents.SUBSCRIBE, "fanout-x", 0));
    wire.expect(new ClientWire.Handshake(1, null, null,
        List.of(new ClientWire.SubscribeCmd(2, "fanout-x", false, 0, ""))));
    wire.read("{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"1.2\\\","
        + "\\\"activity_timeout\\\":120}\"}", ev);
    wire.read("{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"fanout-x\",\"data\":\"{}\"}", ev);
    // the payload is JSON inside Pusher's data string, so its keys arrive escaped
    String data = Wire.payload(1234, 7, 100).replace("\"", "\\\"");
    wire.read("{\"event\":\"sim\",\"channel\":\"fanout-x\",\"data\":\"" + data + "\"}", ev);
    wire.read("{\"event\":\"pusher:ping\",\"data\":\"{}\"}", ev);
    wire.read("{\"event\":\"other\",\"channel\":\"fanout-x\",\"data\":\"{}\"}", ev);
    assertThat(ev.events).containsExactly(
        "connected error=null personal=null",
        "subscribed fanout-x error=null result=0/ recovering=false recovered=false pubs=[]",
        "pub fanout-x seq=7 ts=1234",
        "ping",
        "push 0");
    assertThat(ev.pending).isEmpty();
  }

  @Test
  void aRefusedSubscriptionIsASubscribeError() {
    PusherClientWire wire = new PusherClientWire();
    RecordingEvents ev = new RecordingEvents();
    ev.pending.put(5L, new WireEvents.Pending(WireEvents.SUBSCRIBE, "private-x", 0));
    wire.expect(new ClientWire.Handshake(4, null, null,
        List.of(new ClientWire.SubscribeCmd(5, "private-x", false, 0, ""))));
    wire.read("{\"event\":\"pusher:subscription_error\",\"channel\":\"private-x\",\"data\":{\"status\":401}}", ev);
    assertThat(ev.events).containsExactly("subscribed private-x error=subscription_error result=null");
  }

  @Test
  void requestsAreSignedAsPusherDocumentsIt() {
    // the worked example of Pusher's HTTP API reference
    String body = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";
    String q = PusherPublisher.signedQuery("POST", "/apps/3/events", body,
        new PusherPublisher.App("3", "278d425bdf160c739803", "7ad3773142a6692b25b8"), 1353088179);
    assertThat(q).isEqualTo("auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
        + "&body_md5=ec365a775a4cd0599faeb73354201b6f"
        + "&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
  }
}
