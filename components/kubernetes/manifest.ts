/**
 * What every renderer of this folder returns: a Kubernetes object as plain data, readable by tests and policies.
 * Each renderer also checks its literal against @pulumi/kubernetes's input type (`satisfies`), so a misspelt or
 * unknown field is a compile error; the tests validate the result against the API's schema.
 */
export interface Manifest {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string> };
    spec?: object;
    data?: Record<string, unknown>;
    stringData?: Record<string, unknown>;
    type?: string;
}
