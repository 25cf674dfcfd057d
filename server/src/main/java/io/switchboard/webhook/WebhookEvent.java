package io.switchboard.webhook;

/**
 * One event as the queue holds it, whatever format it is sent in. {@code id} is the same for every target and
 * every retry (receivers deduplicate by it); {@code seq} grows with each transition of one key (channel, user
 * in a channel, user), so a receiver can order two events of one key; {@code data} is JSON text or null.
 */
public record WebhookEvent(String id, long seq, String type, String channel, String user, long timeMillis,
    String data) {}
