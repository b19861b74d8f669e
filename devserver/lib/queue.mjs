/** Runs async jobs one at a time, in the order they were added. */
export class SerialQueue {
  #tail = Promise.resolve();

  /** Resolves or rejects like job() once every earlier job has settled. */
  run(job) {
    const result = this.#tail.then(job);
    this.#tail = result.catch(() => {});
    return result;
  }
}
