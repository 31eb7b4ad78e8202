// The `cellar` command: backup and archival of Pydio Cells servers.
import ArgumentParser
import CellarCore

/// The root command: one subcommand per job.
@main
struct Cellar: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cellar",
    abstract: "Back up Pydio Cells workspaces into ordinary archives and restore them.",
    discussion: """
      cellar walks a Cells workspace or datasource tree over the REST API, streams every file \
      from the S3 gateway into a tar, tar.gz, tar.zst, tar.xz or zip archive, and keeps each \
      node's identity and metadata in a JSON sidecar.
      """,
    version: CellarVersion.current,
    subcommands: [
      BackupCommand.self,
      RestoreCommand.self,
      ListCommand.self,
      VerifyCommand.self,
      CatCommand.self,
      ExtractCommand.self,
      PruneCommand.self,
      DrillCommand.self,
    ]
  )
}
