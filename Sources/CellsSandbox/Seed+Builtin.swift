// CellsSandbox: the seeds that come with the sandbox.

extension Seed {
  /// Users every built-in seed has: `admin` (admin profile), `alice` and `bob`, passwords equal
  /// to the logins.
  static let defaultUsers = [
    User(login: "admin", password: "admin", isAdmin: true),
    User(login: "alice", password: "alice"),
    User(login: "bob", password: "bob"),
  ]

  /// Three users and a couple of files: a quick start for tests that bring their own content.
  public static var minimal: Seed {
    Seed(
      users: defaultUsers,
      entries: [
        .file("pydiods1/welcome.txt", .text("Welcome to the Cells sandbox.\n"), mime: "text/plain"),
        .file("personal/alice/notes.txt", .text("alice's notes\n"), mime: "text/plain"),
      ])
  }

  /// A tree with the awkward cases a backup tool meets: nested folders, names with spaces, `#`,
  /// `%`, `+`, unicode in NFC and NFD, an empty folder, a zero-byte file, dot-files, a folder of
  /// 1,500 children, a 30 MiB file, tags, other user metadata and bookmarks; plus a `projects`
  /// workspace (alice and admin write, bob reads) and a read-only `archive` one.
  public static var demo: Seed {
    var entries: [Entry] = [
      .folder("pydiods1/Documents/Reports 2024/Q1"),
      .file(
        "pydiods1/Documents/Reports 2024/summary.txt", .text("Quarterly summary\n"),
        mime: "text/plain",
        meta: ["usermeta-tags": "\"finance,2024\"", "usermeta-stars": "\"4\""],
        bookmarkedBy: ["admin", "alice"]),
      .file("pydiods1/Documents/Reports 2024/Q1/figures.csv", .text("a,b\n1,2\n"), mime: "text/csv"),
      .file("pydiods1/Documents/a #1 50% + more.txt", .text("odd name\n"), mime: "text/plain"),
      .file("pydiods1/Documents/caf\u{E9}.txt", .text("NFC name\n"), mime: "text/plain"),
      .file("pydiods1/Documents/cafe\u{301}.txt", .text("NFD name\n"), mime: "text/plain"),
      .file("pydiods1/Documents/\u{65E5}\u{672C}\u{8A9E} \u{1F600}.txt", .text("unicode\n"), mime: "text/plain"),
      .folder("pydiods1/Empty folder"),
      .file("pydiods1/empty.txt", .text(""), mime: "text/plain"),
      .file("pydiods1/.gitignore", .text("*.tmp\n"), mime: "text/plain"),
      .file("pydiods1/Documents/.hidden/secret.txt", .text("hidden\n"), mime: "text/plain"),
      .file("pydiods1/Large/video-30MiB.bin", .generated(size: 30 << 20)),
      .file("personal/admin/todo.md", .text("- back up\n"), mime: "text/markdown"),
      .file(
        "personal/alice/notes.txt", .text("alice's notes\n"), mime: "text/plain",
        meta: ["usermeta-tags": "\"private\""]),
      .file("cellsdata/projects/plan.txt", .text("The plan.\n"), mime: "text/plain"),
      .file("cellsdata/archive/2019/old.txt", .text("old\n"), mime: "text/plain"),
    ]
    for i in 1...1500 {
      let name = "file-" + String(repeating: "0", count: 4 - String(i).count) + String(i) + ".txt"
      entries.append(.file("pydiods1/Many/\(name)", .text("file \(i)\n"), mime: "text/plain"))
    }
    return Seed(
      users: defaultUsers,
      workspaces: [
        Workspace(
          uuid: "0c0e5ab1-c0b1-4c6a-9c7e-000000000003", slug: "projects", label: "Projects",
          datasource: "cellsdata", root: "projects", readers: ["bob"], writers: ["admin", "alice"]),
        Workspace(
          uuid: "0c0e5ab1-c0b1-4c6a-9c7e-000000000004", slug: "archive", label: "Archive",
          datasource: "cellsdata", root: "archive", readers: ["*"], writers: ["admin"]),
      ],
      namespaces: [
        Namespace(name: "usermeta-stars", label: "Stars", definition: "{\"type\":\"stars_rate\"}")
      ],
      entries: entries)
  }
}
