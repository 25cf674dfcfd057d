package io.switchboard.storage;

import io.switchboard.model.DeadlineExceeded;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VertxException;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.TransactionPropagation;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.spi.DatabaseMetadata;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collector;

/**
 * A pool whose every statement, transaction and connection request answers within {@code deadlineMs}, waiting
 * for a pooled connection included. PostgreSQL's own {@code statement_timeout} cannot do this: a hung server
 * (SIGSTOP, a stalled disk, a black-holed network) answers nothing, so without a deadline of our own every
 * caller would wait for ever. Past the deadline the caller gets {@link DeadlineExceeded}; the statement may
 * still run when the server wakes up (that is the at-least-once edge of a publish, see docs/operations.md).
 * A late answer is dropped: each caller is completed exactly once.
 *
 * <p>Inside {@link #withTransaction} every statement has the deadline too, so that a hung statement fails the
 * transaction's function and the transaction is rolled back instead of committing late.
 */
public final class DeadlinePool implements Pool {
  private final Pool pool;
  private final Vertx vertx;
  private final long deadlineMs;

  public DeadlinePool(Vertx vertx, Pool pool, long deadlineMs) {
    if (deadlineMs < 1) {
      throw new IllegalArgumentException("deadline must be at least 1 ms");
    }
    this.vertx = vertx;
    this.pool = pool;
    this.deadlineMs = deadlineMs;
  }

  public long deadlineMs() {
    return deadlineMs;
  }

  /** {@code f}, or a {@link DeadlineExceeded} failure if it has not completed within the deadline. */
  <T> Future<T> bound(Future<T> f, String what) {
    return bound(f, what, null);
  }

  /** As {@link #bound(Future, String)}; {@code onLate} gets a result that arrives after the deadline. */
  private <T> Future<T> bound(Future<T> f, String what, Consumer<T> onLate) {
    if (f.isComplete()) {
      if (f.failed()) {
        return Future.failedFuture(translate(f.cause(), what));
      }
      return f;
    }
    Promise<T> p = Promise.promise();
    long timer = vertx.setTimer(deadlineMs, id -> p.tryFail(new DeadlineExceeded(what, deadlineMs)));
    f.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        p.tryFail(translate(ar.cause(), what));
      } else if (!p.tryComplete(ar.result()) && onLate != null) {
        onLate.accept(ar.result());
      }
    });
    return p.future();
  }

  /** The pool's own "no connection within connection_timeout" (set to the same deadline) is our deadline too. */
  private Throwable translate(Throwable t, String what) {
    if (t instanceof VertxException && t.getMessage() != null && t.getMessage().startsWith("Timeout")) {
      return new DeadlineExceeded(what, deadlineMs);
    }
    return t;
  }

  @Override
  public Future<SqlConnection> getConnection() {
    // A connection handed over after the caller gave up goes straight back to the pool.
    return bound(pool.getConnection(), "connection", SqlConnection::close).map(this::wrap);
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return new DeadlineQuery<>(this, pool.query(sql));
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return new DeadlineQuery<>(this, pool.preparedQuery(sql));
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return new DeadlineQuery<>(this, pool.preparedQuery(sql, options));
  }

  @Override
  public <T> Future<T> withTransaction(Function<SqlConnection, Future<T>> function) {
    return bound(pool.withTransaction(conn -> function.apply(wrap(conn))), "transaction");
  }

  @Override
  public <T> Future<T> withTransaction(TransactionPropagation txPropagation,
      Function<SqlConnection, Future<T>> function) {
    return bound(pool.withTransaction(txPropagation, conn -> function.apply(wrap(conn))), "transaction");
  }

  @Override
  public <T> Future<T> withConnection(Function<SqlConnection, Future<T>> function) {
    return bound(pool.withConnection(conn -> function.apply(wrap(conn))), "connection");
  }

  @Override
  public int size() {
    return pool.size();
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }

  private SqlConnection wrap(SqlConnection conn) {
    return conn instanceof DeadlineConnection ? conn : new DeadlineConnection(this, conn);
  }

  /** A connection whose statements have the pool's deadline. */
  private static final class DeadlineConnection implements SqlConnection {
    private final DeadlinePool owner;
    private final SqlConnection conn;

    DeadlineConnection(DeadlinePool owner, SqlConnection conn) {
      this.owner = owner;
      this.conn = conn;
    }

    @Override
    public Future<PreparedStatement> prepare(String sql) {
      return owner.bound(conn.prepare(sql), "prepare");
    }

    @Override
    public Future<PreparedStatement> prepare(String sql, PrepareOptions options) {
      return owner.bound(conn.prepare(sql, options), "prepare");
    }

    @Override
    public SqlConnection exceptionHandler(Handler<Throwable> handler) {
      conn.exceptionHandler(handler);
      return this;
    }

    @Override
    public SqlConnection closeHandler(Handler<Void> handler) {
      conn.closeHandler(handler);
      return this;
    }

    @Override
    public Future<Transaction> begin() {
      return owner.bound(conn.begin(), "begin");
    }

    @Override
    public Transaction transaction() {
      return conn.transaction();
    }

    @Override
    public boolean isSSL() {
      return conn.isSSL();
    }

    @Override
    public DatabaseMetadata databaseMetadata() {
      return conn.databaseMetadata();
    }

    @Override
    public Query<RowSet<Row>> query(String sql) {
      return new DeadlineQuery<>(owner, conn.query(sql));
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
      return new DeadlineQuery<>(owner, conn.preparedQuery(sql));
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
      return new DeadlineQuery<>(owner, conn.preparedQuery(sql, options));
    }

    @Override
    public Future<Void> close() {
      return conn.close();
    }
  }

  /** A query (prepared or not) whose executions have the pool's deadline. */
  private static final class DeadlineQuery<T> implements PreparedQuery<T> {
    private final DeadlinePool owner;
    private final Query<T> query;

    DeadlineQuery(DeadlinePool owner, Query<T> query) {
      this.owner = owner;
      this.query = query;
    }

    @Override
    public Future<T> execute() {
      return owner.bound(query.execute(), "statement");
    }

    @Override
    public Future<T> execute(Tuple tuple) {
      return owner.bound(prepared().execute(tuple), "statement");
    }

    @Override
    public Future<T> executeBatch(List<Tuple> batch) {
      return owner.bound(prepared().executeBatch(batch), "statement");
    }

    @Override
    public <R> PreparedQuery<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
      return new DeadlineQuery<>(owner, query.collecting(collector));
    }

    @Override
    public <U> PreparedQuery<RowSet<U>> mapping(Function<Row, U> mapper) {
      return new DeadlineQuery<>(owner, query.mapping(mapper));
    }

    private PreparedQuery<T> prepared() {
      return (PreparedQuery<T>) query;
    }
  }
}
