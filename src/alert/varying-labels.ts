/**
 * The label names whose values tell series apart (present in some, or different between them),
 * `__name__` aside: what names each series when one query answers with several.
 * @example varyingLabels([{ job: 'a', i: '1' }, { job: 'a', i: '2' }]) // ['i']
 */
export function varyingLabels(labelSets: ReadonlyArray<Readonly<Record<string, string>>>): string[] {
  const keys = new Set(labelSets.flatMap((l) => Object.keys(l)));
  return [...keys].filter((k) => k !== '__name__' && new Set(labelSets.map((l) => l[k])).size > 1);
}
