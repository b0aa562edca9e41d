import type { Location } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { referencesAt, type NavigationView } from '../engine/navigation/index';

/** Find all references of a component, across every file of every spec that includes it. */
export function references(view: NavigationView, offset: number, includeDeclaration: boolean): Location[] | null {
  const spans = referencesAt(view, offset, includeDeclaration);
  if (!spans) return null;
  return spans.map((s) => ({ uri: URI.file(s.file).toString(), range: view.lines(s.file).range(s.start, s.end) }));
}
