import JunctionStorage
import ServiceLifecycle

/// Closes the database after everything else has stopped.
struct StoreLifecycle: Service {
    let backend: any SQLBackend

    func run() async throws {
        try? await gracefulShutdown()
        // Also when the group is cancelled rather than shut down: the close must still happen,
        // so it runs in a task of its own, which does not inherit the cancellation.
        let backend = self.backend
        try await Task { try await backend.close() }.value
    }
}
