export default definePageConfig({ navigationBarTitleText: '券包' });
