package io.switchboard.rpc;

import io.switchboard.channel.ChannelPolicy;
import io.switchboard.config.ChannelConfig;
import io.switchboard.config.PushConfig;
import io.switchboard.history.InboxStore;
import io.switchboard.history.ReadPositionStore;
import io.switchboard.notify.push.PushSubscriptions;

/** What Switchboard's own RPC methods work with: read markers, the inbox and Web Push subscriptions. */
public record RpcServices(ChannelPolicy policy, ChannelConfig channels, ReadPositionStore reads, InboxStore inbox,
    PushConfig push, PushSubscriptions pushSubscriptions) {}
