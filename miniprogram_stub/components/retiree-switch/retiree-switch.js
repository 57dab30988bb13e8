// A family member (or a retiree who also looks after someone) picks whose affairs to see.
Component({
  properties: {
    choices: { type: Array, value: [] },
    actingId: { type: Number, value: 0 },
  },
  methods: {
    pick(e) {
      const id = Number(e.currentTarget.dataset.id);
      if (id !== this.data.actingId) this.triggerEvent('change', { retireeId: id });
    },
  },
});
