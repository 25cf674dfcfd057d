package io.switchboard.core;

import io.switchboard.channel.ChannelPolicy;

/**
 * The use cases that front ends (the Centrifugo WebSocket gateway, the server HTTP API, later a Pusher front
 * end) call. Each front end takes the ones it needs; none of them sees a store, a pool or another front end.
 */
public record Core(ChannelPolicy policy, Publishing publishing, Subscribing subscribing, PresenceQueries presence,
    HistoryQueries history, Notifying notifying, UserActions users, NodeStats stats) {}
