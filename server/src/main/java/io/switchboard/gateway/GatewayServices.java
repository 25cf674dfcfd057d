package io.switchboard.gateway;

import io.switchboard.auth.TokenVerifier;
import io.switchboard.broker.Hub;
import io.switchboard.channel.ChannelPolicy;
import io.switchboard.config.ChannelConfig;
import io.switchboard.config.ClientConfig;
import io.switchboard.core.Core;
import io.switchboard.ops.Metrics;
import io.switchboard.ops.NodeStatus;
import io.switchboard.proxy.ConnectionProxy;
import io.switchboard.rpc.RpcMethods;

/**
 * What the Centrifugo client front end works with: its limits, token checks, the core's use cases and the
 * RPC methods. {@code hub} is for registering each event loop's subscribers; {@code status} for refusing new
 * connections while the node drains; {@code budget} is the node's budget of unanswered command bytes, one for
 * all its event loops.
 */
public record GatewayServices(ClientConfig limits, ChannelConfig channels, TokenVerifier tokens, Metrics metrics,
    Core core, RpcMethods rpc, Hub hub, NodeStatus status, CommandBudget budget, ConnectionProxy proxy) {

  /** Without connection proxies (connect, refresh and RPC stay local). */
  public GatewayServices(ClientConfig limits, ChannelConfig channels, TokenVerifier tokens, Metrics metrics,
      Core core, RpcMethods rpc, Hub hub, NodeStatus status, CommandBudget budget) {
    this(limits, channels, tokens, metrics, core, rpc, hub, status, budget, ConnectionProxy.NONE);
  }

  /** With a budget of its own, of {@code client.node_pending_command_bytes}. */
  public GatewayServices(ClientConfig limits, ChannelConfig channels, TokenVerifier tokens, Metrics metrics,
      Core core, RpcMethods rpc, Hub hub, NodeStatus status) {
    this(limits, channels, tokens, metrics, core, rpc, hub, status,
        new CommandBudget(limits.nodePendingCommandBytes()));
  }

  public ChannelPolicy policy() {
    return core.policy();
  }
}
