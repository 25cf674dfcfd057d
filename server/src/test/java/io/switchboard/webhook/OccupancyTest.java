package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.webhook.Occupancy.Change;
import io.switchboard.webhook.Occupancy.Key;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node-local counting: only a key's held/not-held flips reach PostgreSQL, and a failed batch is resent. */
class OccupancyTest {
  static final Key CH = new Key(Occupancy.CHANNEL, "chat:a", "");
  static final Key ALICE_IN_CH = new Key(Occupancy.MEMBER, "chat:a", "alice");
  static final Key ALICE = new Key(Occupancy.USER, "", "alice");

  @Test
  void secondConnectionsAndSubscriptionsOfAUserChangeNothing() {
    Occupancy o = new Occupancy(true, true, true);
    o.connected("alice");
    o.subscribed("chat:a", "alice", true);
    List<Change> first = o.drain(100);
    assertThat(first).containsExactlyInAnyOrder(new Change(CH, true), new Change(ALICE_IN_CH, true),
        new Change(ALICE, true));
    o.committed(first);
    o.connected("alice");
    o.subscribed("chat:a", "alice", true);
    o.unsubscribed("chat:a", "alice", true);
    o.disconnected("alice");
    assertThat(o.drain(100)).isEmpty();
    o.unsubscribed("chat:a", "alice", true);
    o.disconnected("alice");
    assertThat(o.drain(100)).containsExactlyInAnyOrder(new Change(CH, false), new Change(ALICE_IN_CH, false),
        new Change(ALICE, false));
  }

  @Test
  void aLeaveAndRejoinBetweenTwoDrainsIsNoChange() {
    Occupancy o = new Occupancy(true, true, true);
    o.subscribed("chat:a", "alice", true);
    o.committed(o.drain(100));
    o.unsubscribed("chat:a", "alice", true);
    o.subscribed("chat:a", "alice", true);
    assertThat(o.drain(100)).isEmpty();
  }

  @Test
  void aFailedBatchIsSentAgainWithTheStateOfNowEvenIfThatIsWhatWasCommitted() {
    Occupancy o = new Occupancy(true, false, false);
    o.subscribed("chat:a", "alice", true);
    List<Change> batch = o.drain(100);
    o.failed(batch); // maybe committed, maybe not
    o.unsubscribed("chat:a", "alice", true);
    // not held now, and not held as far as this node knows: still sent, since PostgreSQL may hold it
    assertThat(o.drain(100)).containsExactly(new Change(CH, false));
  }

  @Test
  void anonymousUsersAndChannelsWithoutPresenceMakeNoMemberOrUserKeys() {
    Occupancy o = new Occupancy(true, true, true);
    o.connected("");
    o.subscribed("chat:a", "", true);
    o.subscribed("typing:b", "bob", false);
    assertThat(o.drain(100)).containsExactlyInAnyOrder(new Change(CH, true),
        new Change(new Key(Occupancy.CHANNEL, "typing:b", ""), true));
  }

  @Test
  void drainTakesAtMostItsBoundAndLeavesTheRestDirty() {
    Occupancy o = new Occupancy(true, false, false);
    for (int i = 0; i < 10; i++) {
      o.subscribed("chat:" + i, "u", false);
    }
    assertThat(o.drain(4)).hasSize(4);
    assertThat(o.hasDirty()).isTrue();
    assertThat(o.drain(100)).hasSize(6);
  }
}
