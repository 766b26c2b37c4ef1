using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Personalize.Hosting.Storage;

/// <summary>
/// The connections the Orleans ADO.NET grain storage uses under SQLite (handed to it as
/// <c>AdoNetGrainStorageOptions.DataSource</c>): open SQLite connections kept between calls, each keeping
/// its statements prepared. The provider opens a connection, creates a command, sets its text and
/// parameters, executes and disposes everything on every call; with Microsoft.Data.Sqlite that prepares the
/// query's statements again each time, and a profile of the gateway under load put preparation at over a
/// third of a state write (loadtests/README.md, tenth pass). Here the same query text on the same
/// connection runs the statements prepared the first time, with this call's parameters bound.
/// </summary>
/// <remarks>
/// A connection goes back to the pool only as it was lent: open and with no transaction left open (one given
/// back inside a transaction is closed, which rolls the transaction back). Each connection keeps at most
/// <see cref="StatementsPerConnection"/> query texts; the provider uses a handful. Queries are the
/// provider's own from the <c>OrleansQuery</c> table, so the texts are few and fixed.
/// </remarks>
public sealed class PreparedSqliteDataSource : DbDataSource
{
    private const int StatementsPerConnection = 16;
    private const int IdleConnections = 8;

    private readonly string _connectionString;
    private readonly Stack<PooledConnection> _idle = new();
    private readonly Lock _gate = new();
    private int _prepared;
    private bool _disposed;

    public PreparedSqliteDataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = connectionString;
    }

    public override string ConnectionString => _connectionString;

    /// <summary>How many query texts were prepared on any connection, ever: a measure of what was saved.</summary>
    public int PreparedQueries => Volatile.Read(ref _prepared);

    /// <summary>
    /// An unopened connection: Orleans checks the type of these against the invariant's. What the provider
    /// uses comes from <see cref="OpenDbConnection"/>: a connection of the pool, already open.
    /// </summary>
    protected override DbConnection CreateDbConnection() => new PooledConnection(this);

    protected override DbConnection OpenDbConnection() => Rent();

    protected override ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<DbConnection>(Rent());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) CloseIdle();
        base.Dispose(disposing);
    }

    // DbDataSource.DisposeAsync calls Dispose(false) after this, which is what the container uses.
    protected override ValueTask DisposeAsyncCore()
    {
        CloseIdle();
        return base.DisposeAsyncCore();
    }

    /// <summary>Closes the idle connections; lent ones are closed when they come back.</summary>
    private void CloseIdle()
    {
        PooledConnection[] idle;
        lock (_gate)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }
        foreach (var connection in idle) connection.CloseForGood();
    }

    private PooledConnection Rent()
    {
        PooledConnection? connection;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _idle.TryPop(out connection);
        }
        connection ??= PooledConnection.Opened(this);
        connection.Lent = true;
        return connection;
    }

    private void Return(PooledConnection connection)
    {
        if (connection.IsReusable)
        {
            lock (_gate)
            {
                if (!_disposed && _idle.Count < IdleConnections)
                {
                    _idle.Push(connection);
                    return;
                }
            }
        }
        connection.CloseForGood();
    }

    /// <summary>
    /// One open SQLite connection and the commands prepared on it, by query text. Closing or disposing it
    /// while lent gives it back to the pool; closing it again while it sits there does nothing. A borrower
    /// must not touch it after giving it back (the provider opens and disposes each connection in one
    /// <c>using</c>). It closes for good only when the pool lets it go. One made by
    /// <see cref="CreateDbConnection"/> and opened by its caller is an ordinary connection.
    /// </summary>
    private sealed class PooledConnection : SqliteConnection
    {
        private readonly PreparedSqliteDataSource _source;
        private readonly Dictionary<string, Prepared> _commands = new(StringComparer.Ordinal);
        private SqliteCommand? _staging;

        private bool _pooled;
        private bool _closingForGood;

        public PooledConnection(PreparedSqliteDataSource source) : base(source._connectionString) => _source = source;

        public static PooledConnection Opened(PreparedSqliteDataSource source)
        {
            var connection = new PooledConnection(source) { _pooled = true };
            try
            {
                connection.Open();
                return connection;
            }
            catch
            {
                connection.CloseForGood();
                throw;
            }
        }

        public bool Lent { get; set; }

        /// <summary>Where a caller's parameters wait until it names its query (the provider adds them first).</summary>
        public SqliteCommand Staging => _staging ??= CreateCommand();

        /// <summary>Open, and not inside a transaction someone began and left.</summary>
        public bool IsReusable => State == ConnectionState.Open && raw.sqlite3_get_autocommit(Handle) != 0;

        /// <summary>
        /// The command for <paramref name="text"/>, prepared the first time, carrying the staged parameters
        /// (and only those: a parameter the caller did not add this time is missing, not left from before).
        /// </summary>
        public SqliteCommand CommandFor(string text, SqliteTransaction? transaction, int timeout)
        {
            if (!_commands.TryGetValue(text, out var prepared))
            {
                // Texts beyond the cap are not expected (the provider has a handful); start the set over.
                if (_commands.Count >= StatementsPerConnection) ForgetCommands();
                var created = CreateCommand();
                created.CommandText = text;
                created.Prepare();
                prepared = new Prepared(created, ParameterSpellings(text));
                _commands.Add(text, prepared);
                Interlocked.Increment(ref _source._prepared);
            }
            var command = prepared.Command;
            command.Parameters.Clear();
            foreach (SqliteParameter parameter in Staging.Parameters)
            {
                // Named as the statement spells it, the parameter binds with one look-up instead of four.
                if (prepared.Spellings.TryGetValue(parameter.ParameterName, out var spelled)) parameter.ParameterName = spelled;
                command.Parameters.Add(parameter);
            }
            Staging.Parameters.Clear();
            command.Transaction = transaction;
            command.CommandTimeout = timeout;
            return command;
        }

        public override void Close()
        {
            if (!_pooled || _closingForGood)
            {
                base.Close();
                return;
            }
            if (!Lent) return;
            Lent = false;
            _source.Return(this);
        }

        public void CloseForGood()
        {
            _closingForGood = true;
            Lent = false;
            ForgetCommands();
            _staging?.Dispose();
            _staging = null;
            Dispose();
        }

        protected override DbCommand CreateDbCommand() => new LentCommand(this);

        private void ForgetCommands()
        {
            foreach (var prepared in _commands.Values) prepared.Command.Dispose();
            _commands.Clear();
        }

        /// <summary>
        /// The text's parameter names without their prefix, each to its name as the text spells it
        /// (<c>GrainIdHash</c> to <c>@GrainIdHash</c>). The provider names its parameters bare, and
        /// Microsoft.Data.Sqlite binds a bare name by trying the name and then each of <c>@ $ :</c> in front of
        /// it, a new string and its UTF-8 copy per try, for every parameter of every write (about a ninth of
        /// what the gateway allocated under load; loadtests/README.md). A bare name the text spells two ways
        /// is left bare, so binding still refuses it as ambiguous.
        /// </summary>
        private Dictionary<string, string> ParameterSpellings(string text)
        {
            var spellings = new Dictionary<string, string>(StringComparer.Ordinal);
            var ambiguous = new HashSet<string>(StringComparer.Ordinal);
            ReadOnlySpan<byte> rest = System.Text.Encoding.UTF8.GetBytes(text);
            while (!rest.IsEmpty)
            {
                var rc = raw.sqlite3_prepare_v2(Handle, rest, out var statement, out var tail);
                using (statement)
                {
                    // The command prepared the same text a moment ago; a failure here cannot be new, so stop listing.
                    if (rc != raw.SQLITE_OK || tail.Length >= rest.Length) break;
                    rest = tail;
                    if (statement.IsInvalid) continue;
                    var count = raw.sqlite3_bind_parameter_count(statement);
                    for (var i = 1; i <= count; i++)
                    {
                        var name = raw.sqlite3_bind_parameter_name(statement, i).utf8_to_string();
                        if (name is not { Length: > 1 } || name[0] is not ('@' or '$' or ':')) continue;
                        var bare = name[1..];
                        if (spellings.TryGetValue(bare, out var known) && known != name) ambiguous.Add(bare);
                        else spellings[bare] = name;
                    }
                }
            }
            foreach (var bare in ambiguous) spellings.Remove(bare);
            return spellings;
        }
    }

    private sealed record Prepared(SqliteCommand Command, Dictionary<string, string> Spellings);

    /// <summary>
    /// A command as the provider sees it. Its parameters are staged on the connection; executing picks the
    /// prepared command for the text and binds them there.
    /// </summary>
    private sealed class LentCommand : DbCommand
    {
        private PooledConnection? _connection;
        private SqliteCommand? _picked;
        private string _text = "";

        public LentCommand(PooledConnection connection)
        {
            _connection = connection;
            // A command made earlier on this connection and never executed leaves nothing behind for this one.
            connection.Staging.Parameters.Clear();
        }

        [AllowNull]
        public override string CommandText
        {
            get => _text;
            set => _text = value ?? "";
        }

        public override int CommandTimeout { get; set; } = 30;

        public override CommandType CommandType
        {
            get => CommandType.Text;
            set
            {
                if (value != CommandType.Text) throw new NotSupportedException("SQLite runs text commands only.");
            }
        }

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => _connection;
            set => _connection = value as PooledConnection
                ?? throw new NotSupportedException("A PreparedSqliteDataSource command runs on that data source's connections only.");
        }

        protected override DbParameterCollection DbParameterCollection => Pooled.Staging.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        private PooledConnection Pooled =>
            _connection ?? throw new InvalidOperationException("The command has no connection.");

        public override void Cancel() => _picked?.Cancel();

        public override void Prepare()
        {
            // Prepared on first execution and kept with the connection.
        }

        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        public override int ExecuteNonQuery() => Pick().ExecuteNonQuery();

        public override object? ExecuteScalar() => Pick().ExecuteScalar();

        // The connection is the lease's to close, never the reader's.
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) =>
            Pick().ExecuteReader(behavior & ~CommandBehavior.CloseConnection);

        private SqliteCommand Pick()
        {
            if (string.IsNullOrWhiteSpace(_text)) throw new InvalidOperationException("The command has no text.");
            return _picked = Pooled.CommandFor(_text, DbTransaction as SqliteTransaction, CommandTimeout);
        }
    }
}
