import type { Location, LocationLink } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { definitionAt, implementationsAt, type NavigationView, type NavTarget } from '../engine/navigation/index';

/** Engine targets → LSP links (with the origin underlined) when the client takes them, else plain locations. */
export function toLocations(view: NavigationView, targets: NavTarget[], linkSupport: boolean): Location[] | LocationLink[] {
  if (linkSupport) {
    return targets.map((t) => ({
      originSelectionRange: t.origin ? view.lines(t.origin.file).range(t.origin.start, t.origin.end) : undefined,
      targetUri: URI.file(t.target.file).toString(),
      targetRange: view.lines(t.target.file).range(t.target.start, t.target.end),
      targetSelectionRange: view.lines(t.selection.file).range(t.selection.start, t.selection.end),
    }));
  }
  return targets.map((t) => ({ uri: URI.file(t.selection.file).toString(), range: view.lines(t.selection.file).range(t.selection.start, t.selection.end) }));
}

/** Go to definition: `$ref` → its target; declaration, route or SDK call → the spec operation. */
export function definition(view: NavigationView, offset: number, linkSupport: boolean): Location[] | LocationLink[] {
  return toLocations(view, definitionAt(view, offset), linkSupport);
}

/** Go to implementation: spec operation → server routes and SDK calls; route or call → operation. */
export function implementation(view: NavigationView, offset: number, linkSupport: boolean): Location[] | LocationLink[] {
  return toLocations(view, implementationsAt(view, offset), linkSupport);
}
