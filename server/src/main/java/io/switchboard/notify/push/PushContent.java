package io.switchboard.notify.push;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What one job pushes, in the providers' common terms; each provider renders it in its own wire format and then
 * applies its own override object, passed through from the API ({@code fcm}: merged into the FCM v1
 * {@code message}; {@code apns}: {@code {headers, payload}} merged over the generated headers and payload;
 * {@code webpush}: merged into the JSON the service worker reads). Overrides may be null.
 *
 * @param title       may be empty
 * @param body        may be empty
 * @param url         where a tap leads (Web Push page, FCM/APNs {@code url} data key), or null
 * @param data        custom key/values (FCM requires strings: values are strings here)
 * @param badge       the app icon badge (APNs {@code aps.badge}, FCM {@code android.notification.notification_count}),
 *                    null to leave it unchanged; for an inbox notification it is the user's unread count
 * @param ttlSeconds  how long the service may hold it undelivered: what is left of the job's TTL (> 0)
 * @param urgency     {@code very-low}, {@code low}, {@code normal} or {@code high} (FCM: HIGH for high, else
 *                    NORMAL; APNs: priority 10 for high and normal, else 5)
 * @param tag         the same for every send of this notification and unique to it (a resend after a crash
 *                    carries it again): collapse ids, Web Push Topic, the APNs apns-id are derived from it
 * @param channel     the inbox channel for an inbox notification, else null
 * @param offset      its offset in that channel, else 0
 */
public record PushContent(String title, String body, String url, Map<String, String> data, Integer badge,
    long ttlSeconds, String urgency, String tag, String channel, long offset, JsonObject fcm, JsonObject apns,
    JsonObject webpush) {}
