import Glibc

/// The files a scan reads under its paths: source files of the scanned languages, skipping what
/// `.gitignore` ignores, hidden, vendored and build folders, generated and oversized files.
struct SourceFiles {
    /// Folders of dependencies and build products, never an integration's own code.
    static let skippedFolders: Set<String> = [
        "node_modules", "vendor", "Pods", "Carthage", "DerivedData", "build", "dist", "target", "out", "bin", "obj",
        "__pycache__", "venv", "site-packages", "bower_components", "jspm_packages", "coverage", "tmp",
    ]
    /// Files written by tools, not people.
    static let skippedNames: Set<String> = [
        "package-lock.json", "npm-shrinkwrap.json", "composer.lock", "yarn.lock", "Package.resolved", "go.sum",
    ]
    static let generatedSuffixes = [
        ".min.js", ".bundle.js", ".pb.go", "_pb2.py", ".g.cs", ".Designer.cs", ".generated.cs", ".generated.ts",
        ".d.ts",
    ]
    /// Larger files are data dumps or bundles.
    static let maximumSize = 2 << 20

    struct Entry: Sendable {
        var path: String
        var language: SourceLanguage
    }

    let respectIgnoreFiles: Bool
    private(set) var entries: [Entry] = []
    /// Paths given that do not exist.
    private(set) var missing: [String] = []

    init(paths: [String], respectIgnoreFiles: Bool) {
        self.respectIgnoreFiles = respectIgnoreFiles
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                missing.append(path)
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                let root = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
                walk(directory: root, ignores: [], relative: [])
            } else if let language = SourceLanguage(fileName: Self.name(of: path)) {
                // A file named on the command line is read whatever the ignore rules say.
                entries.append(Entry(path: Self.display(path), language: language))
            }
        }
    }

    private static func name(of path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// `./a/b.py` → `a/b.py`: paths as a diff and SARIF want them.
    private static func display(_ path: String) -> String {
        var path = Substring(path)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
        return String(path)
    }

    /// The `.gitignore`s in force, each with the path of its folder relative to the scan root.
    private typealias Ignores = [(ignore: GitIgnore, depth: Int)]

    private mutating func walk(directory: String, ignores: Ignores, relative: [String]) {
        var ignores = ignores
        if respectIgnoreFiles, let text = Self.read(directory + "/.gitignore", limit: 1 << 20) {
            let ignore = GitIgnore(String(decoding: text, as: UTF8.self))
            if !ignore.isEmpty { ignores.append((ignore, relative.count)) }
        }
        guard let handle = opendir(directory) else { return }
        var children: [(name: String, isDirectory: Bool)] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) || entry.pointee.d_type == UInt8(DT_LNK) {
                // Symbolic links to folders are not followed (they loop); to files they are read.
                var info = stat()
                if entry.pointee.d_type == UInt8(DT_LNK) {
                    if lstat(directory + "/" + name, &info) != 0 { continue }
                } else if stat(directory + "/" + name, &info) != 0 {
                    continue
                }
                isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
                if (info.st_mode & S_IFMT) == S_IFLNK {
                    guard stat(directory + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                }
            }
            children.append((name, isDirectory))
        }
        closedir(handle)
        children.sort { $0.name < $1.name }
        let prefix = directory == "." ? "" : Self.display(directory) + "/"
        for child in children {
            if child.name.hasPrefix(".") { continue }
            let path = relative + [child.name]
            if isIgnored(path, isDirectory: child.isDirectory, ignores: ignores) { continue }
            if child.isDirectory {
                if Self.skippedFolders.contains(child.name) || child.name.hasSuffix(".egg-info") { continue }
                walk(directory: directory + "/" + child.name, ignores: ignores, relative: path)
            } else if !Self.skippedNames.contains(child.name),
                !Self.generatedSuffixes.contains(where: { child.name.hasSuffix($0) }),
                let language = SourceLanguage(fileName: child.name)
            {
                entries.append(Entry(path: prefix + child.name, language: language))
            }
        }
    }

    private func isIgnored(_ path: [String], isDirectory: Bool, ignores: Ignores) -> Bool {
        // The deepest .gitignore that speaks of the path decides.
        for (ignore, depth) in ignores.reversed() {
            if let verdict = ignore.verdict(path[depth...], isDirectory: isDirectory) { return verdict }
        }
        return false
    }

    /// The bytes of a file, `nil` when it cannot be read or is larger than `limit`.
    static func read(_ path: String, limit: Int = maximumSize) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= limit else {
            return nil
        }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        while offset < size {
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + offset, size - offset)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            offset += count
        }
        return offset == size ? bytes : Array(bytes[..<offset])
    }
}
