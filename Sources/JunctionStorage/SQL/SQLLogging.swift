import Logging

/// The SQL drivers log every statement with its binds at `debug`: documents whole, with webhook
/// secrets, password and key hashes and customers' personal data (L4 of the security review).
/// They get the application's logger no lower than `info`, so `--log-level debug` never writes them.
enum SQLLogging {
    static func withoutStatements(_ logger: Logger) -> Logger {
        var logger = logger
        logger.logLevel = max(logger.logLevel, .info)
        return logger
    }
}
