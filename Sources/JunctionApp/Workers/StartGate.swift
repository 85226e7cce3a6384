/// Opens once the migrations have run; services that need the schema wait for it.
actor StartGate {
    private var open = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if open { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func openGate() {
        open = true
        waiters.forEach { $0.resume() }
        waiters = []
    }
}
