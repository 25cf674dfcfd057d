package io.switchboard.proxy;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/** A response body read into memory up to {@code maxBytes}: a longer one fails the request rather than grow. */
final class BoundedBody implements BodyCodec<Buffer> {
  /** The backend's answer was longer than {@code proxy_max_response_bytes}. */
  static final class TooLarge extends RuntimeException {
    TooLarge(int max) {
      super("response body over " + max + " bytes", null, false, false);
    }
  }

  private final int maxBytes;

  BoundedBody(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public BodyStream<Buffer> stream() {
    return new Stream(maxBytes);
  }

  private static final class Stream implements BodyStream<Buffer> {
    private final int max;
    private final Buffer body = Buffer.buffer();
    private final Promise<Buffer> result = Promise.promise();

    Stream(int max) {
      this.max = max;
    }

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable t) {
      result.tryFail(t);
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (body.length() + data.length() > max) {
        TooLarge e = new TooLarge(max);
        result.tryFail(e);
        return Future.failedFuture(e);
      }
      body.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      result.tryComplete(body);
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
