package io.switchboard.ops;

import java.util.concurrent.atomic.AtomicBoolean;

/** Who this node is and where it is in its life: ready once migrated, draining once told to stop. */
public final class NodeStatus {
  /** The server version, as told to clients (connect, refresh) and by the {@code info} API. */
  public static final String VERSION = "0.1.0";

  private final String id;
  private final String name;
  private final long startedAtMillis = System.currentTimeMillis();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean migrated = new AtomicBoolean();

  /** {@code id}: the cluster's id of this node (a fresh UUID on a single node); {@code name}: node_name. */
  public NodeStatus(String id, String name) {
    this.id = id;
    this.name = name;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public long startedAtMillis() {
    return startedAtMillis;
  }

  public boolean draining() {
    return draining.get();
  }

  /** While draining, readiness is false and new connections are refused (tests turn it off again). */
  public void setDraining(boolean on) {
    draining.set(on);
  }

  public boolean migrated() {
    return migrated.get();
  }

  public void markMigrated() {
    migrated.set(true);
  }
}
