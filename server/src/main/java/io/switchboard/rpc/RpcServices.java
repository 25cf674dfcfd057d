package io.switchboard.rpc;

import io.switchboard.channel.ChannelPolicy;
import io.switchboard.config.ChannelConfig;
import io.switchboard.config.PushConfig;
import io.switchboard.history.InboxStore;
import io.switchboard.history.ReadPositionStore;
import io.switchboard.notify.push.DeviceRegistry;

/** What Switchboard's own RPC methods work with: read markers, the inbox and push devices. */
public record RpcServices(ChannelPolicy policy, ChannelConfig channels, ReadPositionStore reads, InboxStore inbox,
    PushConfig push, DeviceRegistry devices) {}
