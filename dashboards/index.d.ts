/** Absolute path of the folder of static web UI assets the hub serves at `/`. */
export declare const publicDir: string;
