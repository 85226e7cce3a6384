#if canImport(Glibc)
    import Glibc
#endif

/// Bytes from the kernel's secure generator, many per system call. `SystemRandomNumberGenerator`
/// makes one `getrandom` call per 8 bytes, and an id of 24 characters drew one per character:
/// 4 % of a write's time was the kernel making random state.
enum SecureBytes {
    #if canImport(Glibc)
        /// `/dev/urandom`, open for the life of the process (it never blocks once the kernel is seeded,
        /// which it is long before a server starts).
        private static let device: Int32 = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
    #endif

    /// Fills `buffer` with secure random bytes.
    static func fill(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        #if canImport(Glibc)
            if device >= 0 {
                var done = 0
                while done < buffer.count {
                    let count = read(device, buffer.baseAddress! + done, buffer.count - done)
                    if count > 0 {
                        done += count
                    } else if count < 0 && errno == EINTR {
                        continue
                    } else {
                        break
                    }
                }
                if done == buffer.count { return }
            }
        #endif
        var generator = SystemRandomNumberGenerator()
        for index in buffer.indices { buffer[index] = generator.next() }
    }
}
