/** The part of jstat (MIT, no dependencies) the library uses: Student's t quantile, `inv(p, degrees of freedom)`. */
declare module 'jstat' {
  export const jStat: { studentt: { inv(p: number, dof: number): number } };
}
