/** The part of jstat (MIT, no dependencies) the library uses: Student's t quantile. */
declare module 'jstat' {
  export const jStat: {
    studentt: {
      /** The p-quantile of Student's t with `dof` degrees of freedom (inverse regularized incomplete beta). */
      inv(p: number, dof: number): number;
    };
  };
}
