package io.switchboard.api;

import io.switchboard.config.PushConfig;
import io.switchboard.notify.PushQueue;
import io.switchboard.notify.push.DeviceRegistry;

/** What the device and push methods of the server API work with. */
public record PushApi(DeviceRegistry devices, PushQueue queue, PushConfig config) {}
