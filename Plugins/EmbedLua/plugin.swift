import Foundation
import PackagePlugin

/// Embeds the Lua sources of stdlib/ and scripts/ into the target that uses it.
@main
struct EmbedLua: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let roots = [("stdlib", "modules"), ("scripts", "scripts")]
        var inputs: [URL] = []
        for (folder, _) in roots {
            let directory = root.appending(path: folder)
            guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in walker where file.pathExtension == "lua" { inputs.append(file) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedLua.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) Lua files",
                executable: try context.tool(named: "embed-lua").url,
                arguments: [output.path] + roots.map { root.appending(path: $0.0).path + ":" + $0.1 },
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
