package io.switchboard.notify.push;

/**
 * A registered device, as the sender reads it from {@code push_devices}. {@code token} is the FCM registration
 * token, the APNs device token (hex) or the Web Push endpoint; {@code p256dh} and {@code auth} (base64url) are
 * set for Web Push only.
 */
public record PushDevice(String id, String user, String platform, String token, String p256dh, String auth) {
  public static final String FCM = "fcm";
  public static final String APNS = "apns";
  public static final String WEBPUSH = "webpush";
}
